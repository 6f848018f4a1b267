/**
 * One process at a time in an embedded database folder. PGlite has no lock of its own: a second `npm start`, or
 * `npm run import` while Baton runs, would open the same files and corrupt them. The lock file holds the owner's
 * pid; a lock whose process is gone (killed, crashed) is taken over.
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../config/config-error.ts";

export const LOCK_FILE_NAME = "baton.lock";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock on `dataDir` for this process, or throws a {@link ConfigError} naming BATON_DATA_DIR when another
 * live process holds it. Returns the release function (also run when the process exits).
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: "wx" });
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        process.off("exit", release);
        fs.rmSync(lockPath, { force: true });
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new ConfigError(
          `BATON_DATA_DIR: cannot use ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    }
    const owner = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
    if (Number.isInteger(owner) && isRunning(owner)) {
      throw new ConfigError(
        `BATON_DATA_DIR: the embedded database in ${dataDir} is in use by another Baton process (pid ${owner}); ` +
          `stop it first, or delete ${lockPath} if no Baton is running`,
      );
    }
    // Left behind by a process that is gone: take it over.
    fs.rmSync(lockPath, { force: true });
  }
  throw new ConfigError(`BATON_DATA_DIR: cannot lock ${dataDir}: another process keeps taking the lock`);
}
