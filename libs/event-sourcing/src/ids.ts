import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUID v7: server-generated ids sort by creation, which keeps cursors simple. */
export const newId = (): string => uuidv7();
