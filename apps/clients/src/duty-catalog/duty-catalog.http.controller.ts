import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DUTY_CATEGORIES, type DutyCategory } from '@vaops/contracts';

@ApiTags('duty-categories')
@Controller('duty-categories')
export class DutyCatalogController {
  /** Each duty category with the lowest trust phase that allows it (stable ids). */
  @Get()
  list(): { items: readonly DutyCategory[] } {
    return { items: DUTY_CATEGORIES };
  }
}
