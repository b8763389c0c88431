// The source data of one run, made once and shared by every tool that sends it.
import { mkdir, rm } from 'node:fs/promises';
import { makeRandomFile, makeSmallFiles } from './datagen';
import type { Plan } from './plan';
import type { SourceFile, SourceTree } from './transfers';
import type { Workspace } from './workspace';

export interface Sources {
  large: SourceFile;
  trees: SourceTree[];
  /** Made on first use and removed with dropHuge, so it never sits on disk beside everything else longer than needed. */
  huge(): Promise<SourceFile>;
  dropHuge(): Promise<void>;
  /** The one big batch of small files (--only many), made on first use. */
  many(): Promise<SourceTree>;
}

export async function makeSourceFile(path: string, size: number): Promise<SourceFile> {
  return { path, size, sha256: await makeRandomFile(path, size) };
}

export async function makeSourceTree(dir: string, files: number, fileBytes: number): Promise<SourceTree> {
  await mkdir(dir, { recursive: true });
  await makeSmallFiles(dir, files, fileBytes);
  return { dir, files, bytes: files * fileBytes };
}

export async function prepareSources(ws: Workspace, plan: Plan): Promise<Sources> {
  await mkdir(ws.path('src'));
  const large = await makeSourceFile(ws.path('src', 'large.bin'), plan.largeFileBytes);
  const trees: SourceTree[] = [];
  if (plan.parts.has('small')) for (const n of plan.smallFileCounts) trees.push(await makeSourceTree(ws.path('src', `files-${n}`), n, plan.smallFileBytes));
  const hugePath = ws.path('src', 'huge.bin');
  return {
    large,
    trees,
    huge: () => makeSourceFile(hugePath, plan.hugeFileBytes),
    dropHuge: () => rm(hugePath, { force: true }),
    many: () => makeSourceTree(ws.path('src', `many-${plan.manyFileCount}`), plan.manyFileCount, plan.smallFileBytes),
  };
}
