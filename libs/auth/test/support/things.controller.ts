import { Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { AllowApiKey, CurrentPrincipal, Public, Scopes, type Principal } from '../../src/index.js';
import { OwnerOrAdminGuard } from '../../examples/owner-or-admin.guard.js';

/** Routes of a pretend `billing` service, one per kind of protection. */
@Controller('things')
export class ThingsController {
  @Get()
  @Scopes('billing:read')
  list(@CurrentPrincipal() who: Principal): Principal {
    return who;
  }

  @Post()
  @Scopes('billing:read', 'billing:write')
  create(): { created: true } {
    return { created: true };
  }

  @Get('search')
  @Scopes('billing:read')
  @AllowApiKey('search')
  search(@CurrentPrincipal() who: Principal): Principal {
    return who;
  }

  @Post('search')
  @Scopes('billing:write')
  @AllowApiKey('addObject')
  add(@CurrentPrincipal() who: Principal): Principal {
    return who;
  }

  @Get('owners/:owner')
  @Scopes('billing:read')
  @UseGuards(OwnerOrAdminGuard)
  ownedBy(@Param('owner') owner: string): { owner: string } {
    return { owner };
  }

  @Get('open')
  @Public()
  open(@CurrentPrincipal() who: Principal | undefined): { principal: boolean } {
    return { principal: who !== undefined };
  }
}
