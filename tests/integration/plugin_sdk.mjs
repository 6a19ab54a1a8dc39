// plugin_sdk.mjs: builds example plugins as a user builds theirs (issue 14): the plugin header is
// installed with `meson install --destdir` into the build directory, and each plugin is compiled
// out of tree with `cc $(pkg-config --cflags graphgate-plugin)` against that INSTALLED header, never
// against the sources. Each suite installs into its own directory (they may run at the same time).
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, run } from './helpers.mjs';

export const buildRoot = process.env.GG_BUILD_ROOT || join(root, 'build');

// Every file under d (recursively).
function walk(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
}

// Installs the SDK into build/<sdkName> and resolves to { cflags, compile(source, out, extra) }.
export async function pluginSdk(sdkName) {
  const destdir = join(buildRoot, sdkName);
  const install = await run('meson', ['install', '-C', buildRoot, '--no-rebuild', '--quiet', '--tags', 'devel', '--destdir', destdir]);
  assert.equal(install.code, 0, `meson install: ${install.stderr}${install.stdout}`);
  const pc = walk(destdir).find((f) => f.endsWith('/graphgate-plugin.pc'));
  assert.ok(pc, 'meson install wrote graphgate-plugin.pc');
  const env = { ...process.env, PKG_CONFIG_PATH: join(pc, '..'), PKG_CONFIG_SYSROOT_DIR: destdir };
  const flags = await run('pkg-config', ['--cflags', 'graphgate-plugin'], { env });
  assert.equal(flags.code, 0, flags.stderr);
  const cflags = flags.stdout.trim().split(/\s+/).filter(Boolean);
  // The header comes from the installed tree, never from the sources.
  assert.ok(cflags.some((f) => f.startsWith(`-I${destdir}`)), flags.stdout);
  assert.ok(existsSync(join(cflags.find((f) => f.startsWith(`-I${destdir}`)).slice(2), 'graphgate', 'plugin.h')));
  async function compile(source, out, extra = []) {
    const r = await run('cc', ['-shared', '-fPIC', ...cflags, ...extra, source, '-o', out]);
    assert.equal(r.code, 0, `cc ${source}: ${r.stderr}`);
    return out;
  }
  return { cflags, compile };
}
