// The Kubernetes example (deploy/kubernetes/*.yaml) parses, uses only corral settings that exist, and keeps its numbers consistent: probes on health-path, the port, the grace period above shutdown-delay + graceful-timeout, a CPU limit for processes = auto.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { settings } from '../../src/config/schema.ts';

const DIR = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));

interface Manifest {
  kind: string;
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
  [key: string]: any;
}

const manifests: Manifest[] = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .flatMap((name) =>
    parseAllDocuments(readFileSync(join(DIR, name), 'utf8')).map((doc) => {
      expect(doc.errors, name).toEqual([]);
      return doc.toJS() as Manifest;
    }),
  );
const byKind = (kind: string) => manifests.find((manifest) => manifest.kind === kind) as Manifest;

describe('deploy/kubernetes', () => {
  const configMap = byKind('ConfigMap');
  const deployment = byKind('Deployment');
  const service = byKind('Service');
  const corral = parse(configMap.data['corral.yaml'] as string) as Record<string, unknown>;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('has a Deployment, a Service and the ConfigMap with corral.yaml', () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service']);
  });

  it('uses only settings corral has', () => {
    const known = new Set(Object.keys(settings));
    expect(Object.keys(corral).filter((key) => !known.has(key))).toEqual([]);
  });

  it('probes readiness on health-path at the port corral serves, and mounts the config where the image reads it', () => {
    expect(corral['health-path']).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe(corral['health-path']);
    expect(container.startupProbe.httpGet.path).toBe(corral['health-path']);
    const port = Number(
      String((corral.http as string[])[0])
        .split(':')
        .at(-1),
    );
    expect(container.ports[0].containerPort).toBe(port);
    expect(service.spec.ports[0].targetPort).toBe(container.ports[0].name);
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(container.volumeMounts[0].mountPath).toBe('/etc/corral');
  });

  it('gives the pod longer than shutdown-delay + graceful-timeout before SIGKILL, and needs no preStop', () => {
    const needed = Number(corral['shutdown-delay']) + Number(corral['graceful-timeout']);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(needed);
    expect(container.lifecycle?.preStop).toBeUndefined();
    // The Service stops sending before corral stops accepting: readiness fails within shutdown-delay.
    const noticed = container.readinessProbe.periodSeconds * container.readinessProbe.failureThreshold;
    expect(noticed).toBeLessThan(Number(corral['shutdown-delay']));
  });

  it('sets a CPU limit for processes = auto to count, and runs as non-root', () => {
    expect(corral.processes).toBe('auto');
    expect(container.resources.limits.cpu).toBeDefined();
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });
});
