#!/usr/bin/env node
// Creates the Python virtual environment test/python/.venv with PyPI's newest clients
// (requirements.txt: confluent-kafka with its bundled librdkafka, kafka-python and its codecs)
// for the pypi-* integration tests. Once installed, a stamp holding the hash of
// requirements.txt makes later runs do nothing; editing requirements.txt re-installs.
//
//   node test/python/setup.mjs            creates or updates the venv and prints its python
//
// Uses Debian's /usr/bin/python3 when there is one (else python3 on PATH); `python3 -m venv`
// needs Debian's python3-venv, installed with apt-get when missing and we run as root.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const venv = join(here, '.venv');
const requirements = join(here, 'requirements.txt');
const stamp = join(venv, 'requirements.stamp');
/** The venv's interpreter. */
export const VENV_PYTHON = join(venv, 'bin', 'python');

function basePython() {
  if (existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  if (spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0) return 'python3';
  throw new Error('python3 is not installed: the pypi-* tests need Python 3.9 or newer (Debian: apt-get install python3 python3-venv)');
}

function canMakeVenvs(python) {
  return spawnSync(python, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0;
}

export function setup() {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(stamp) && existsSync(VENV_PYTHON) && readFileSync(stamp, 'utf8').trim() === hash) return VENV_PYTHON;
  const python = basePython();
  if (!canMakeVenvs(python)) {
    if (process.getuid?.() !== 0)
      throw new Error(`${python} cannot create virtual environments: install python3-venv (apt-get install python3-venv)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'python3-venv'], { stdio: 'inherit', env });
  }
  console.log('creating test/python/.venv with the PyPI clients of test/python/requirements.txt');
  if (!existsSync(VENV_PYTHON)) {
    rmSync(venv, { recursive: true, force: true });
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  execFileSync(VENV_PYTHON, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--no-input', '-r', requirements], {
    stdio: 'inherit',
  });
  writeFileSync(stamp, `${hash}\n`);
  return VENV_PYTHON;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(setup());
