// The /cypher console's editor: Neo4j's Cypher support for CodeMirror 6 (highlighting,
// completion of the labels, relationship types and properties given as `schema`, linting).
// `cspNonce(n)` is the extension that puts the page's CSP nonce on the <style> element
// CodeMirror writes its styles into (api/headers.py: the page allows no other inline style).
import { createCypherEditor } from "@neo4j-cypher/codemirror";
import { EditorView } from "@codemirror/view";
import "@neo4j-cypher/codemirror/css/cypher-codemirror.css";

window.PGCypherEditor = { create: createCypherEditor, cspNonce: nonce => EditorView.cspNonce.of(nonce) };
