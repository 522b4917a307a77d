// A small MCP server on stdio, built with the official MCP TypeScript SDK, for the test of stdio servers an operator
// configures. Its one tool, `tally`, counts the words of `text` and reports the value of the environment variable
// TALLY_LABEL, so a test sees that the operator's environment reached the process; `environment` reports the
// process's whole environment and working folder, so a test sees that nothing else of the silo's reached it.
// Usage: node stdio-mcp-server.mjs
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const server = new Server({ name: "tally", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{
    name: "tally",
    description: "Counts the words of a text.",
    inputSchema: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
  }, {
    name: "environment",
    description: "Reports the process's environment and working folder.",
    inputSchema: { type: "object", properties: {} },
  }],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  if (request.params.name === "environment") {
    return { content: [{ type: "text", text: JSON.stringify({ variables: process.env, folder: process.cwd() }) }] };
  }

  const text = String(request.params.arguments?.text ?? "");
  const words = text.split(/\s+/).filter(Boolean).length;
  return { content: [{ type: "text", text: JSON.stringify({ words, label: process.env.TALLY_LABEL ?? null }) }] };
});
await server.connect(new StdioServerTransport());
