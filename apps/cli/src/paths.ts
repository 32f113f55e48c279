import os from 'node:os';
import path from 'node:path';

/** Where trax keeps its own data (the demo): the OS's per-user data folder, overridable by TRAX_DATA_DIR. */
export function traxDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.TRAX_DATA_DIR) return path.resolve(env.TRAX_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'trax');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'trax');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'trax');
}
