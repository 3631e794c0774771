/**
 * Reads the few `wrangler dev` flags this script must agree with; every
 * argument is still passed to `wrangler dev` untouched.
 */

export interface DevArgs {
  /** Where the dev server will answer, e.g. http://localhost:8787. */
  origin: string;
  /** Host and port to probe before starting, to catch a port already in use. */
  probe: { host: string; port: number };
  /**
   * False for `--remote` (Cloudflare's resources, not local ones) and for
   * `--help`/`--version`: then nothing is migrated or seeded.
   */
  local: boolean;
  /**
   * Flags that choose the config, the environment or the state directory.
   * The migration command gets them too, so it writes the same local D1 that
   * `wrangler dev` reads.
   */
  shared: string[];
  /** `--env`, which also picks `.dev.vars.<env>`. */
  env: string | undefined;
}

/** wrangler's defaults; wrangler.toml has no [dev] section that changes them. */
const DEFAULT_PORT = 8787;
const DEFAULT_IP = "localhost";

const SHARED_FLAGS = ["--persist-to", "--config", "-c", "--env", "-e", "--cwd"];
const NOT_LOCAL = ["--remote", "-r", "--help", "-h", "--version", "-v"];

export function parseDevArgs(argv: readonly string[]): DevArgs {
  const portArg = flagValue(argv, ["--port"]);
  const port = portArg === undefined ? DEFAULT_PORT : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${portArg} is not a port number`);
  if (port === 0) throw new Error("--port 0 picks a random port, which this script could not seed; name a port");
  const ip = flagValue(argv, ["--ip"]) ?? DEFAULT_IP;
  const protocol = flagValue(argv, ["--local-protocol"]) ?? "http";
  const host = probeHost(ip);
  return {
    origin: `${protocol}://${host.includes(":") ? `[${host}]` : host}:${port}`,
    probe: { host, port },
    local: !argv.some((a) => NOT_LOCAL.includes(a)),
    shared: sharedFlags(argv),
    env: flagValue(argv, ["--env", "-e"]),
  };
}

/** A wildcard address is not something to connect to; its loopback is. */
function probeHost(ip: string): string {
  if (ip === "0.0.0.0" || ip === "*") return "127.0.0.1";
  if (ip === "::" || ip === "[::]") return "::1";
  return ip.replace(/^\[(.*)\]$/, "$1");
}

/** The last value of a flag, in yargs' `--flag value` or `--flag=value` form. */
function flagValue(argv: readonly string[], names: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    for (const name of names) {
      if (arg === name && i + 1 < argv.length) value = argv[i + 1];
      else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    }
  }
  return value;
}

function sharedFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (SHARED_FLAGS.includes(arg) && i + 1 < argv.length) out.push(arg, argv[++i]!);
    else if (SHARED_FLAGS.some((f) => arg.startsWith(`${f}=`))) out.push(arg);
  }
  return out;
}
