// This module's own usings, beside those every module gets from src/Modules/Directory.Build.props.
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.AspNetCore.Mvc.RazorPages;
global using Portal.Forms.Shared;
