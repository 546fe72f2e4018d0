// This module's own usings, beside those every module gets from src/Modules/Directory.Build.props.
global using Portal.BuildingBlocks.Auditing;
global using Portal.Contracts;
