// An empty array that V8 holds as a list of objects from the start. An array literal `[]`
// starts as a list of small integers and changes its kind at the first object pushed to it;
// the model's lists are made afresh for every parse, and that first push threw away the
// optimised code of the parser function doing it (namedList, aclLine, driverLine, …) on
// each new config.
const EMPTY_OBJECTS: unknown[] = [undefined].slice(1);

export function objectList<T>(): T[] {
  return EMPTY_OBJECTS.slice() as T[];
}
