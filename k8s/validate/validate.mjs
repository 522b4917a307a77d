// Validates every Kubernetes object in the YAML files under the given folders against the Kubernetes API
// schemas (kubernetes-models, offline). kustomization.yaml files are kustomize's own, not API objects.
// Usage: node validate.mjs <folder>...   Exit code 1 when any object is invalid or of an unknown kind.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import yaml from "js-yaml";

const groups = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
};

function* yamlFiles(folder) {
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules") yield* yamlFiles(path);
    } else if (/\.ya?ml$/.test(name) && !/^kustomization\.ya?ml$/.test(name)) {
      yield path;
    }
  }
}

let objects = 0;
const problems = [];
for (const folder of process.argv.slice(2)) {
  for (const file of yamlFiles(folder)) {
    let documents;
    try {
      documents = yaml.loadAll(readFileSync(file, "utf8"));
    } catch (e) {
      problems.push(`${file}: not valid YAML: ${e.message.split("\n")[0]}`);
      continue;
    }
    for (const document of documents.filter(Boolean)) {
      const where = `${relative(process.cwd(), file)}: ${document.kind ?? "?"} ${document.metadata?.name ?? "?"}`;
      const module = groups[document.apiVersion];
      if (!module) {
        problems.push(`${where}: unknown apiVersion ${document.apiVersion}`);
        continue;
      }
      const kinds = await import(module);
      const Kind = kinds[document.kind];
      if (!Kind) {
        problems.push(`${where}: unknown kind ${document.kind} in ${document.apiVersion}`);
        continue;
      }
      try {
        new Kind(document).validate();
        objects++;
      } catch (e) {
        problems.push(`${where}: ${e.message}`);
      }
    }
  }
}

for (const problem of problems) console.error(problem);
console.log(`${objects} Kubernetes objects valid, ${problems.length} problems`);
process.exit(problems.length === 0 && objects > 0 ? 0 : 1);
