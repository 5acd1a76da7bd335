// The /cypher console's editor: Neo4j's Cypher support for CodeMirror 6 (highlighting,
// completion of the labels, relationship types and properties given as `schema`, linting).
import { createCypherEditor } from "@neo4j-cypher/codemirror";
import "@neo4j-cypher/codemirror/css/cypher-codemirror.css";

window.PGCypherEditor = { create: createCypherEditor };
