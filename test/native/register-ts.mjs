// node --import ./test/native/register-ts.mjs: enables ts-hooks.mjs.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
