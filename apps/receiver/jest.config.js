module.exports = {
  ...require('../../jest.preset.js'),
  // large-bodies reads a 5.8 MB dead letter: ioredis's parser (redis-parser) then shrinks its
  // module-wide buffer pool on a 50 ms interval for ~3 s. That timer ends by itself; a real leak
  // does not, and is still reported after this.
  openHandlesTimeout: 5000,
};
