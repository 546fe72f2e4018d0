// This module's own usings, beside those every module gets from src/Modules/Directory.Build.props.
global using Microsoft.AspNetCore.DataProtection;
global using Microsoft.AspNetCore.RateLimiting;
global using Microsoft.Extensions.Configuration;
global using Portal.BuildingBlocks.Auditing;
global using Portal.Contracts;
