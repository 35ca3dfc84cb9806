import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { IsRequiredText, MoneyDto } from '@vaops/platform';

/** The bodies of the invoice lifecycle's commands, checked before any command. */
export class VoidRequest {
  @IsRequiredText(500)
  reason!: string;
}

export class CreditNoteRequest {
  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @IsRequiredText(500)
  reason!: string;
}
