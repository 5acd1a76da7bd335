"""The analyst's workbench: the query library (`/queries`, `/queries/NAME`) and the Cypher
console (`/cypher`). Pages are HTML shells; their scripts call the JSON API (`/api/queries/NAME`,
`/api/cypher`, `/api/search`), so what a page shows is what the API answers."""
