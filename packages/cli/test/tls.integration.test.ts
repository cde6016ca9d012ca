import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lines, runBinary, runInProcess } from "./support/cli.js";
import { seed } from "./support/seed.js";

// TLS: a redis-server with a TLS port and a certificate for "asynq.test" signed by a CA made
// here. --tls / rediss:// connect, --insecure skips verification, --tls-server names the host
// the certificate must match (the CA is trusted through NODE_EXTRA_CA_CERTS in the child).

let dir: string;
let server: RedisServerHandle;
let tlsPort: number;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function makeCertificates(): void {
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=asynq-cli-test-ca",
  );
  openssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=asynq.test");
  writeFileSync(join(dir, "ext.cnf"), "subjectAltName=DNS:asynq.test\n");
  openssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "asynq-cli-tls-"));
  makeCertificates();
  tlsPort = await freePort();
  server = await startRedisServer({
    args: [
      "--tls-port",
      String(tlsPort),
      "--tls-cert-file",
      join(dir, "server.pem"),
      "--tls-key-file",
      join(dir, "server.key"),
      "--tls-ca-cert-file",
      join(dir, "ca.pem"),
      "--tls-auth-clients",
      "no",
    ],
  });
  await seed(server.url);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const queueNames = "Queue\n-----\ncritical\ndefault\nlow\n";

describe("TLS", { timeout: 60_000 }, () => {
  it("connects with rediss:// or --tls, and --insecure accepts the unknown CA", async () => {
    expect(
      await runInProcess(["-u", `rediss://127.0.0.1:${tlsPort}`, "--insecure", "queue", "ls"]),
    ).toEqual({ code: 0, stdout: queueNames, stderr: "" });
    expect(
      (await runInProcess(["-u", `127.0.0.1:${tlsPort}`, "--tls", "--insecure", "queue", "ls"]))
        .stdout,
    ).toBe(queueNames);
  });

  it("refuses a certificate it cannot verify, in one line", async () => {
    const result = await runInProcess(["-u", `rediss://127.0.0.1:${tlsPort}`, "queue", "ls"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: cannot connect to Redis at rediss:\/\/127\.0\.0\.1:\d+\/0: .*certificate/,
    );
    expect(lines(result.stderr)).toHaveLength(1);
  });

  it("verifies the certificate against --tls-server when the CA is trusted", async () => {
    const env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
    const [named, unnamed] = await Promise.all([
      runBinary(
        ["-u", `127.0.0.1:${tlsPort}`, "--tls", "--tls-server", "asynq.test", "queue", "ls"],
        { env },
      ),
      runBinary(["-u", `127.0.0.1:${tlsPort}`, "--tls", "queue", "ls"], { env }),
    ]);
    expect(named).toEqual({ code: 0, stdout: queueNames, stderr: "" });
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(
      /^error: cannot connect to Redis at rediss:\/\/127\.0\.0\.1:\d+\/0: Hostname\/IP does not match certificate's altnames/,
    );
  });
});
