// Routers, transports and authenticators: each needs a `driver =` that Exim has.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { availableIn, driversOf, eximDriver, versionNote, type DriverKind } from '../../catalog/exim';
import { didYouMean, namesOnce, nearest, replaceFix } from './suggest';

export function checkDrivers(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) {
    for (const inst of list) {
      const kind: DriverKind = inst.section === 'routers' ? 'router' : inst.section === 'transports' ? 'transport' : 'authenticator';
      if (inst.driver === undefined || !inst.driverLoc) {
        out.push(finding('exim/missing-driver', inst.nameLoc.file, inst.nameLoc.range,
          `The ${kind} "${inst.name}" has no "driver =" line; Exim needs one to know what kind of ${kind} it is (e.g. ${driversOf(kind).slice(0, 3).map((d) => d.name).join(', ')}).`));
        continue;
      }
      const d = eximDriver(inst.driver, kind);
      if (!d) {
        const other = eximDriver(inst.driver);
        const guess = nearest(inst.driver, namesOnce(`driver ${kind}`, opts.eximVersion, () => driversOf(kind, opts.eximVersion).map((x) => x.name)));
        const why = other ? ` "${inst.driver}" is a${other.kind === 'authenticator' ? 'n' : ''} ${other.kind} driver, not a ${kind} driver.`
          : inst.driver.includes('$') ? ' Exim does not expand the driver name.' : '';
        out.push(finding('exim/unknown-driver', inst.driverLoc.file, inst.driverLoc.range,
          `Exim has no ${kind} driver "${inst.driver}".${why}${didYouMean(guess)}`,
          guess ? { fixes: replaceFix(inst.driverLoc, guess) } : {}));
      } else if (opts.eximVersion === '4.96' && d.unbuilt496) {
        out.push(finding('exim/unknown-driver', inst.driverLoc.file, inst.driverLoc.range,
          `Debian 12's Exim 4.96 has no ${kind} driver "${inst.driver}" (${versionNote(d)}): it rejects the config ("cannot find ${kind} driver"). Use another driver, or target latest if your Exim is built with it.`));
      } else if (!availableIn(d, opts.eximVersion)) {
        out.push(finding('exim/unknown-driver', inst.driverLoc.file, inst.driverLoc.range,
          `The ${kind} driver "${inst.driver}" was ${versionNote(d, opts.eximVersion)}; it is not available for the targeted Exim ${opts.eximVersion}.`));
      }
    }
  }
  return out;
}
