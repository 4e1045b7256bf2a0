// Validates Kubernetes manifests (the output of `kubectl kustomize`, on stdin) against the JSON schemas of the
// Kubernetes API and of the CRDs Vigil uses (prometheus-operator, KEDA), as packaged by the kubernetes-models
// npm packages: offline, no cluster, no schema download. Exits 1 on the first invalid or unknown object.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "keda.sh": "@kubernetes-models/keda",
};

async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = packages[group] ?? "kubernetes-models";
  const path = group === "" ? `${pkg}/${version}` : `${pkg}/${group}/${version}`;
  const module = await import(`${path}/${kind}`);
  return module[kind] ?? module.default;
}

const docs = yaml.loadAll(readFileSync(0, "utf8")).filter((d) => d);
let failed = 0;
for (const doc of docs) {
  const name = `${doc.kind}/${doc.metadata?.name}`;
  try {
    const Model = await modelClass(doc.apiVersion, doc.kind);
    new Model(doc).validate();
    console.log(`valid   ${doc.apiVersion} ${name}`);
  } catch (e) {
    failed++;
    console.log(`INVALID ${doc.apiVersion} ${name}: ${e.message}`);
  }
}
console.log(`${docs.length - failed} valid, ${failed} invalid`);
process.exit(failed === 0 && docs.length > 0 ? 0 : 1);
