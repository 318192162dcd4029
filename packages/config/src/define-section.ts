import type { z } from 'zod';

/**
 * One group of settings: the environment variables it reads (zod-validated, with defaults)
 * and how they become the typed section the code uses. Each section lives in its own file.
 */
export interface Section<Shape extends z.ZodRawShape, Out> {
  readonly env: Shape;
  /**
   * The settings that carry a secret (a password, or a URL that may hold one). Each also reads
   * from a file named by `<NAME>_FILE` (Docker secrets); setting both is an error.
   */
  readonly secrets?: readonly (keyof Shape & string)[];
  readonly build: (env: z.infer<z.ZodObject<Shape>>) => Out;
}

export function defineSection<Shape extends z.ZodRawShape, Out>(
  section: Section<Shape, Out>,
): Section<Shape, Out> {
  return section;
}
