import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { LOCK_FILE_NAME, lockDataDir } from "../../src/db/data-dir-lock.ts";
import { openDatabase } from "../../src/db/database.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-lock-"));
  dirs.push(dir);
  return dir;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("lockDataDir", () => {
  it("lets one holder in at a time and frees the folder on release", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), "utf8").trim()).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(ConfigError);
    expect(() => lockDataDir(dir)).toThrow(/^BATON_DATA_DIR: .* in use by another Baton process \(pid \d+\)/);
    release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    lockDataDir(dir)();
  });

  it("takes over a lock left by a process that is gone", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), `${deadPid()}\n`);
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), "utf8").trim()).toBe(String(process.pid));
    release();
  });
});

describe("openDatabase on the embedded database", () => {
  it("refuses a second open of the same BATON_DATA_DIR while the first is open", async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ kind: "pglite", dataDir });
    try {
      await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toThrow(/BATON_DATA_DIR: .* in use/);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });

  it("names BATON_DATA_DIR when the folder cannot be created", async () => {
    const file = path.join(tempDir(), "a-file");
    fs.writeFileSync(file, "");
    await expect(openDatabase({ kind: "pglite", dataDir: path.join(file, "data") })).rejects.toThrow(
      /^BATON_DATA_DIR: cannot create .*: ENOTDIR$/,
    );
  });
});
