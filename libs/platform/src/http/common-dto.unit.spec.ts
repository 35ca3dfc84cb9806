import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DECORATORS } from '@nestjs/swagger/dist/constants';
import { IsInstant, IsNestedDto, IsRequiredInstant, IsRequiredText } from './common-dto';

class Body {
  @IsInstant()
  at!: string;

  @IsRequiredText(5)
  reason!: string;
}

const failures = (plain: object) => Object.fromEntries(validateSync(plainToInstance(Body, plain)).map((e) => [e.property, Object.keys(e.constraints ?? {})]));

describe('IsInstant and IsRequiredText', () => {
  it('take an instant with its offset and a text of 1 to max characters', () => {
    expect(failures({ at: '2026-03-09T14:00:00Z', reason: 'late' })).toEqual({});
    expect(failures({ at: '2026-03-09T14:00:00.123+01:00', reason: 'a' })).toEqual({});
  });

  it('refuse a local time, too fine a fraction, and an empty, long or missing text', () => {
    expect(failures({ at: '2026-03-09T14:00:00', reason: '' })).toEqual({ at: ['matches'], reason: ['minLength'] });
    expect(failures({ at: '2026-03-09T14:00:00.1234Z', reason: 'too long' })).toEqual({ at: ['matches'], reason: ['maxLength'] });
    expect(failures({ at: '2026-02-30T14:00:00Z' })).toEqual({ at: ['isIso8601'], reason: ['maxLength', 'minLength', 'isString'] });
  });
});

class Slot {
  @IsRequiredInstant('2026-03-09T14:00:00Z')
  startsAt!: string;
}

describe('IsRequiredInstant', () => {
  it('checks an instant as IsInstant does, and requires it', () => {
    const failed = (plain: object) => validateSync(plainToInstance(Slot, plain)).flatMap((e) => Object.keys(e.constraints ?? {}));
    expect(failed({ startsAt: '2026-03-09T14:00:00Z' })).toEqual([]);
    expect(failed({ startsAt: '2026-03-09T14:00:00' })).toEqual(['matches']);
    expect(failed({})).toEqual(['matches', 'isIso8601']);
  });

  it('documents the property with its example, not as optional', () => {
    const documented = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Slot.prototype, 'startsAt');
    expect(documented).toMatchObject({ example: '2026-03-09T14:00:00Z' });
    expect(documented.required).not.toBe(false);
  });
});

class Inner {
  @IsRequiredText(3)
  name!: string;
}

class Outer {
  @IsNestedDto(Inner, { description: 'the inner part' })
  inner!: Inner;
}

describe('IsNestedDto', () => {
  const errorsOf = (plain: object) => validateSync(plainToInstance(Outer, plain));

  it('checks the object as its own DTO class', () => {
    expect(errorsOf({ inner: { name: 'abc' } })).toEqual([]);
    const [e] = errorsOf({ inner: { name: 'abcd' } });
    expect(e.property).toBe('inner');
    expect(e.children?.[0]).toMatchObject({ property: 'name', constraints: { maxLength: expect.any(String) } });
  });

  it('refuses a value that is no object', () => {
    expect(errorsOf({ inner: 'abc' }).map((e) => e.property)).toEqual(['inner']);
  });
});
