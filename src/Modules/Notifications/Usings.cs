// This module's own usings, beside those every module gets from src/Modules/Directory.Build.props.
global using Microsoft.Extensions.Configuration;
global using Portal.Contracts;
