// How the light Request and Response stand in for undici's: `instanceof` holds both ways, and any member undici has that they do not define is answered by the real object.

const plainInstanceCheck = Function.prototype[Symbol.hasInstance];

/**
 * `value instanceof self` for a light class: asked of the light class itself, anything undici would call a
 * Request (or Response) is one, its own objects included; asked of a subclass (Next's NextResponse), the plain
 * prototype check.
 */
export function nativeInstanceCheck(self: object, light: object, native: object, value: unknown): boolean {
  return plainInstanceCheck.call(self === light ? native : self, value);
}

/**
 * Defines on `proto` every method and getter of `nativeProto` it lacks (a member a newer Node adds, such as
 * `bytes()`), each answered by `realOf(this)`: the undici object the light one makes when it has to.
 */
export function delegateMissing(proto: object, nativeProto: object, realOf: (self: object) => object): void {
  for (const key of Reflect.ownKeys(nativeProto)) {
    if (key === 'constructor' || key === Symbol.toStringTag || Object.hasOwn(proto, key)) continue;
    const native = Object.getOwnPropertyDescriptor(nativeProto, key);
    if (native === undefined) continue;
    if (typeof native.value === 'function') {
      const method = native.value as (...args: unknown[]) => unknown;
      Object.defineProperty(proto, key, {
        configurable: true,
        writable: true,
        enumerable: native.enumerable ?? false,
        value(this: object, ...args: unknown[]) {
          return method.apply(realOf(this), args);
        },
      });
    } else if (native.get !== undefined) {
      const getter = native.get;
      Object.defineProperty(proto, key, {
        configurable: true,
        enumerable: native.enumerable ?? false,
        get(this: object) {
          return getter.call(realOf(this));
        },
      });
    }
  }
}
