import { IsNestedDto, IsRequiredText, MoneyDto } from '@vaops/platform';

/** The bodies of the invoice lifecycle's commands, checked before any command. */
export class VoidRequest {
  @IsRequiredText(500)
  reason!: string;
}

export class CreditNoteRequest {
  @IsNestedDto(MoneyDto)
  amount!: MoneyDto;

  @IsRequiredText(500)
  reason!: string;
}
