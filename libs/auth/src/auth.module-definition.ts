import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthModuleOptions } from './auth.options.js';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: AUTH_MODULE_OPTIONS, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<AuthModuleOptions>().setClassMethodName('forRoot').setExtras({}, (definition) => ({ ...definition, global: true })).build();
