import type { z } from 'zod';

/**
 * One group of settings: the environment variables it reads (zod-validated, with defaults)
 * and how they become the typed section the code uses. Each section lives in its own file.
 */
export interface Section<Shape extends z.ZodRawShape, Out> {
  readonly env: Shape;
  readonly build: (env: z.infer<z.ZodObject<Shape>>) => Out;
}

export function defineSection<Shape extends z.ZodRawShape, Out>(
  section: Section<Shape, Out>,
): Section<Shape, Out> {
  return section;
}
