// Uses AgentGrid's MCP server at /mcp with the official MCP TypeScript SDK client, as Claude Desktop or VS Code would:
// lists its tools, lists agents, talks to an agent across two messages of one session, searches a knowledge base,
// and checks that a call without a key is refused. Prints one JSON line with what it saw.
// Usage: node mcp-client.mjs <base-url> <api-key> <agent-name> <knowledge-base-id>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [baseUrl, apiKey, agentName, knowledgeBaseId] = process.argv.slice(2);
const endpoint = new URL("/mcp", baseUrl);
const text = (result) => result.content.find((c) => c.type === "text")?.text ?? "";

const client = new Client({ name: "agentgrid-test", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } }));
const tools = (await client.listTools()).tools.map((t) => t.name).sort();
const agents = JSON.parse(text(await client.callTool({ name: "list_agents", arguments: {} })));
const first = JSON.parse(text(await client.callTool({ name: "send_message", arguments: { agent: agentName, message: "Where do staff park?" } })));
const second = JSON.parse(text(await client.callTool({
  name: "send_message", arguments: { agent: agentName, message: "And visitors?", session_id: first.session_id },
})));
const search = JSON.parse(text(await client.callTool({ name: "search_knowledge_base", arguments: { knowledge_base_id: knowledgeBaseId, query: "parking garage" } })));
const missing = await client.callTool({ name: "send_message", arguments: { agent: "nobody-by-this-name", message: "hi" } });
await client.close();

let refused = null;
try {
  await new Client({ name: "anonymous", version: "1.0.0" }).connect(new StreamableHTTPClientTransport(endpoint));
} catch (error) {
  refused = String(error.message ?? error);
}

console.log(JSON.stringify({
  tools, agents, first, second, search, missing: { isError: missing.isError === true, text: text(missing) }, refused,
}));
