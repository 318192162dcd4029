// The import-cycle check of `pnpm lint` (lint:cycles): file level, across every workspace package.
// Only no-circular is checked here; the wall and the floors are ESLint's (eslint.config.mjs).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Files import each other in a loop: move the shared part (often a type) into a file of its own.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Workspace packages resolve through their node_modules link to their own src; nothing else
    // under node_modules is followed.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|coverage|\.git)/' },
    // A type-only import still ties two files together: a cycle through one is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'require', 'import', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
