// POST /templates/validate (beyond the reference): every compiler diagnostic; on errors 400, the
// status and body POST /deployments answers for the same template.
import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DeploymentService } from '@lib/orchestrator';
import { DEPLOYMENT_SERVICE } from '../api.tokens';
import { reasonPhrase } from '../dtos/error.dto';
import { TemplateValidateRequestDto, TemplateValidationDto, parseValidateRequest, toDiagnosticDto } from '../dtos/template.dto';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(@Inject(DEPLOYMENT_SERVICE) private readonly deployments: DeploymentService) {}

  @Post('validate')
  @HttpCode(200)
  @ApiBody({ type: TemplateValidateRequestDto, description: 'JSON `{template, parameters?}`, or the YAML text itself as text/yaml or text/plain.' })
  @ApiResponse({ status: 200, type: TemplateValidationDto, description: 'No errors (warnings may be listed).' })
  @ApiResponse({ status: 400, type: TemplateValidationDto, description: 'At least one error; every diagnostic is listed (as POST /deployments answers).' })
  async validate(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<TemplateValidationDto> {
    const { template, parameters } = parseValidateRequest(body);
    const diagnostics = (await this.deployments.validate(template, parameters)).map(toDiagnosticDto);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (errors === 0) return { valid: true, diagnostics };
    res.status(400);
    return { code: 400, title: reasonPhrase(400), message: `The template has ${errors} error(s)`, valid: false, diagnostics };
  }
}
