import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsISO4217CurrencyCode, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsTimeZone } from '@vaops/platform';

export class RegisterClientRequest {
  @ApiProperty({ example: 'Jones Realty' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'ops@jones.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'America/New_York' })
  @IsTimeZone()
  timezone!: string;

  @ApiProperty({ example: 'USD', description: 'every amount billed to this client is in this currency' })
  @IsISO4217CurrencyCode()
  currency!: string;
}
