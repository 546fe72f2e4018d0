// This module's own usings, beside those every module gets from src/Modules/Directory.Build.props.
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Portal.BuildingBlocks.Auditing;
global using Microsoft.AspNetCore.Mvc;
global using Portal.BuildingBlocks.Modules;
