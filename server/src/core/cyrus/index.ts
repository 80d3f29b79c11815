// Public face of the Cyrus model. The parser/model modules beside this file fill it in.
import type { Finding } from '../diagnostic';
import type { SourceHost } from '../host';
import type { CheckOptions } from '../options';

export interface CyrusConf { file: string }
export interface ImapdConf { file: string }

export function loadCyrusConf(file: string, _opts: CheckOptions, _host: SourceHost): CyrusConf { return { file }; }
export function checkCyrusConf(_c: CyrusConf, _opts: CheckOptions): Finding[] { return []; }
export function loadImapdConf(file: string, _opts: CheckOptions, _host: SourceHost): ImapdConf { return { file }; }
export function checkImapdConf(_c: ImapdConf, _opts: CheckOptions): Finding[] { return []; }
