package org.deoss.fs;

/** What statfs reports: blocks of {@link #BLOCK} bytes, from the account's purchased space. */
record FsStatfs(long blocks, long freeBlocks, long files, long freeFiles) {
  static final int BLOCK = 4096;
}
