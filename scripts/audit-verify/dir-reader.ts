import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ArchiveReader } from "./archive.ts";

/**
 * The archive as a directory: a copy of the bucket whose files sit at their
 * keys (what `rclone copy` or `aws s3 sync` against R2's S3 endpoint make),
 * e.g. <dir>/v1/checkpoints/000000000001.json.
 */
export function directoryReader(dir: string): ArchiveReader {
  return {
    async list(prefix) {
      const root = path.join(dir, prefix);
      if (!existsSync(root)) return [];
      return readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
    },
    async get(key) {
      const file = path.join(dir, ...key.split("/"));
      return existsSync(file) ? readFileSync(file, "utf8") : null;
    },
  };
}
