import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { tempDir } from './tmp-dir';
import { ErrorCode, FerryError } from '../../src/shared/errors';
import { LIMITS } from '../../src/shared/limits';
import { joinInside, moveToUniqueName, resolveInside, splitExtension, validateOfferedPath } from '../../src/main/engine/util/safe-names';

function rejects(p: string, why: RegExp): void {
  assert.throws(
    () => validateOfferedPath(p),
    (err: unknown) => err instanceof FerryError && err.code === ErrorCode.BAD_NAME && why.test(err.message),
    `expected ${JSON.stringify(p)} to be refused (${why})`,
  );
}

test('hostile offered paths are refused with a reason', () => {
  rejects('', /empty/);
  rejects('a//b', /empty/);
  rejects('a/', /empty/);
  rejects('/etc/passwd', /absolute/);
  rejects('C:\\Windows\\x', /backslash/);
  rejects('C:x', /drive letter/);
  rejects('c:/x', /drive letter/);
  rejects('\\\\server\\share\\x', /backslash/);
  rejects('a\\..\\..\\x', /backslash/);
  rejects('../x', /"\.\."/);
  rejects('a/../../x', /"\.\."/);
  rejects('a/./b', /"\."/);
  rejects('.', /"\."/);
  rejects('a\u0000b', /control/);
  rejects('a\nb', /control/);
  rejects('a\u001fb', /control/);
  rejects('a\u007fb', /control/);
  rejects('x'.repeat(LIMITS.maxNameBytes + 1), /longer than 255/);
  rejects('é'.repeat(128), /longer than 255/); // 256 bytes in UTF-8
  rejects(Array(LIMITS.maxPathDepth + 1).fill('d').join('/'), /deeper/);
  rejects(Array(20).fill('n'.repeat(250)).join('/'), /longer than 4096/);
});

test('unusual but harmless names stay exactly as they are', () => {
  const nfd = 'Cafe\u0301.txt';
  const nfc = 'Caf\u00e9.txt';
  for (const p of [nfd, nfc, 'my file  with spaces .txt', '.bashrc', '-rf', '--help', 'a/b/c.txt', '日本語/写真.jpg', 'x'.repeat(255), 'é'.repeat(127), 'ab:c', 'dir/a:b', 'what?.txt', 'console.log', 'icon.png', 'COM10']) {
    assert.equal(validateOfferedPath(p, 'linux'), p);
  }
  assert.equal(validateOfferedPath(Array(LIMITS.maxPathDepth).fill('d').join('/')).split('/').length, LIMITS.maxPathDepth);
});

test('Windows device names get an underscore on every OS', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    assert.equal(validateOfferedPath('CON', platform), 'CON_');
    assert.equal(validateOfferedPath('con.txt', platform), 'con_.txt');
    assert.equal(validateOfferedPath('dir/Lpt9.tar.gz', platform), 'dir/Lpt9_.tar.gz');
    assert.equal(validateOfferedPath('nul/aux', platform), 'nul_/aux_');
    assert.equal(validateOfferedPath('com1', platform), 'com1_');
  }
});

test('on win32 forbidden characters and trailing dots or spaces are replaced', () => {
  assert.equal(validateOfferedPath('a<b>c:d"e|f?g*h.txt', 'win32'), 'a_b_c_d_e_f_g_h.txt');
  assert.equal(validateOfferedPath('dir./name. ', 'win32'), 'dir_/name__');
  assert.equal(validateOfferedPath('a<b', 'linux'), 'a<b');
});

test('splitExtension keeps compound and dotfile names sensible', () => {
  assert.deepEqual(splitExtension('a.tar.gz'), ['a', '.tar.gz']);
  assert.deepEqual(splitExtension('photo.jpg'), ['photo', '.jpg']);
  assert.deepEqual(splitExtension('my.photo.jpg'), ['my.photo', '.jpg']);
  assert.deepEqual(splitExtension('.bashrc'), ['.bashrc', '']);
  assert.deepEqual(splitExtension('.config.json'), ['.config', '.json']);
  assert.deepEqual(splitExtension('README'), ['README', '']);
});


test('resolveInside refuses escapes, also through a symlinked folder', async (t) => {
  const base = await tempDir(t);
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  await fs.mkdir(root);
  await fs.mkdir(outside);
  assert.equal(resolveInside(root, 'a/b.txt'), join(root, 'a', 'b.txt'));
  assert.throws(() => resolveInside(root, '../x'), { code: ErrorCode.BAD_NAME });
  assert.throws(() => resolveInside(root, '/etc/passwd'), { code: ErrorCode.BAD_NAME });
  await fs.symlink(outside, join(root, 'link'), 'dir');
  assert.throws(() => resolveInside(root, 'link/x.txt'), { code: ErrorCode.BAD_NAME });
  assert.throws(() => resolveInside(root, 'link/deeper/x.txt'), { code: ErrorCode.BAD_NAME });
  await fs.symlink(join(outside, 'file'), join(root, 'filelink'));
  await fs.writeFile(join(outside, 'file'), 'secret');
  assert.throws(() => resolveInside(root, 'filelink'), { code: ErrorCode.BAD_NAME });
  // a root that is itself reached through a link is fine
  await fs.symlink(root, join(base, 'rootlink'), 'dir');
  assert.equal(resolveInside(join(base, 'rootlink'), 'ok.txt'), join(base, 'rootlink', 'ok.txt'));
});

for (const hardLinks of [true, false]) {
  test(`moveToUniqueName never overwrites and numbers copies (${hardLinks ? 'hard links' : 'placeholder fallback'})`, async (t) => {
    const root = await tempDir(t);
    let k = 0;
    const save = async (name: string, text = `copy ${k}`) => {
      const temp = join(root, `.temp-${k++}`);
      await fs.writeFile(temp, text);
      const saved = moveToUniqueName(temp, root, name, hardLinks);
      assert.equal(existsSync(temp), false, 'the temp file is gone');
      assert.equal(await fs.readFile(saved, 'utf8'), text);
      return saved;
    };
    const first = await save('a.tar.gz', 'original');
    assert.equal(first, join(root, 'a.tar.gz'));
    assert.equal(await save('a.tar.gz'), join(root, 'a (1).tar.gz'));
    assert.equal(await save('a.tar.gz'), join(root, 'a (2).tar.gz'));
    assert.equal(await fs.readFile(first, 'utf8'), 'original');
    assert.equal(await save('.bashrc'), join(root, '.bashrc'));
    assert.equal(await save('.bashrc'), join(root, '.bashrc (1)'));
    const many = await Promise.all(Array.from({ length: 8 }, (_, i) => save('same.txt', `same ${i}`)));
    assert.equal(new Set(many).size, 8);
    const long = 'x'.repeat(251) + '.txt';
    await save(long);
    const copy = await save(long);
    assert.ok(Buffer.byteLength(copy.slice(root.length + 1)) <= LIMITS.maxNameBytes);
    assert.ok(copy.endsWith(' (1).txt'));
    // A dangling symlink takes the name too: it is never followed or replaced.
    await fs.symlink(join(root, 'nowhere'), join(root, 'dangling.txt'));
    assert.equal(await save('dangling.txt'), join(root, 'dangling (1).txt'));
    assert.equal(existsSync(join(root, 'nowhere')), false);
  });
}

test('joinInside: by letters only, anything that is not strictly below root is E_BAD_NAME', () => {
  const root = join(tmpdir(), 'ferry-root');
  assert.equal(joinInside(root, 'a/b.txt'), join(root, 'a', 'b.txt'));
  assert.equal(joinInside(root + sep, 'x'), join(root, 'x'), 'a trailing separator on root');
  assert.equal(joinInside(sep, 'x'), join(sep, 'x'), 'the file system root itself');
  for (const rel of ['', '.', 'a/..', '..', '../x', 'a/../../x', '/etc/passwd', `${root}-other/x`]) {
    assert.throws(() => joinInside(root, rel), (e: FerryError) => e.code === 'E_BAD_NAME', rel);
  }
});
