import { contractArgs, type ContractMethod, type HostApi } from '../contract.ts';
import { HostError } from '../services/host-error.ts';

/** A call arriving from a transport: a method name and an argument list, both untrusted. */
export type Dispatch = (method: unknown, args: unknown) => Promise<unknown>;

type Invoker = (...args: unknown[]) => Promise<unknown>;

export function isContractMethod(method: unknown): method is ContractMethod {
  return typeof method === 'string' && Object.hasOwn(contractArgs, method);
}

/**
 * Both transports funnel every call through here, so the rules for what a page may ask of the
 * host live in one place: the method must be in the contract and its arguments must match the
 * contract's zod tuple. Only the parsed arguments reach the services, never the raw ones.
 */
export function createDispatcher(api: HostApi): Dispatch {
  return async (method, args) => {
    if (!isContractMethod(method)) {
      throw new HostError('invalid-argument', `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
    }
    const parsed = contractArgs[method].safeParse(args);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.length ? `argument ${issue.path.join('.')}` : 'arguments'}: ${issue.message}`)
        .join('; ');
      throw new HostError('invalid-argument', `${method}: ${detail}`);
    }
    const fn = api[method] as unknown as Invoker;
    return fn.apply(api, parsed.data as unknown[]);
  };
}
