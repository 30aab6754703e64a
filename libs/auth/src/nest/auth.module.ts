// One dynamic module: provides the Authenticator and installs BearerAuthGuard globally.
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Authenticator } from '../principal.types';
import { AUTHENTICATOR } from './auth.tokens';
import { BearerAuthGuard } from './bearer-auth.guard';

@Module({})
export class AuthModule {
  static register(authenticator: Authenticator): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: AUTHENTICATOR, useValue: authenticator }, { provide: APP_GUARD, useClass: BearerAuthGuard }],
      exports: [AUTHENTICATOR],
    };
  }
}
