// Where wrk and the servers run, by CPU count.
import { describe, expect, it } from 'vitest';
import { planCpus } from './cpus.mjs';

describe('planCpus', () => {
  it('gives wrk CPU 0 and the servers CPU 1 on a 2-CPU machine', () => {
    expect(planCpus(2)).toMatchObject({ load: '0', servers: '1', serverCount: 1 });
  });

  it('gives the servers every CPU but the first on a bigger machine', () => {
    expect(planCpus(8)).toMatchObject({ load: '0', servers: '1-7', serverCount: 7 });
  });

  it('pins nothing on one CPU or when asked not to', () => {
    expect(planCpus(1)).toMatchObject({ load: undefined, servers: undefined, serverCount: 1 });
    expect(planCpus(4, { pin: false })).toMatchObject({ load: undefined, servers: undefined });
  });
});
