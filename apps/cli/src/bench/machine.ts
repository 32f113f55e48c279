import os from 'node:os';

/** The machine a bench ran on, printed with the table (the issue asks for cores, model, Node). */
export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly memoryGb: number;
  /** 1-minute load average when the bench started and ended: above the core count, others were busy too. */
  readonly loadAverage: { start: number; end: number | null };
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: { start: os.loadavg()[0], end: null },
  };
}

export function machineLine(machine: MachineInfo): string {
  const load = `load average ${machine.loadAverage.start.toFixed(2)} at start${machine.loadAverage.end === null ? '' : `, ${machine.loadAverage.end.toFixed(2)} at end`}`;
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GiB, Node ${machine.node}, ${machine.platform}; ${load}`;
}
