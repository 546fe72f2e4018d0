// The namespaces nearly every slice of this module uses; a file names only what is particular to it.
global using FluentValidation;
global using Marten;
global using Microsoft.AspNetCore.Authorization;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.AspNetCore.Mvc.RazorPages;
global using Portal.BuildingBlocks.Security;
global using Portal.BuildingBlocks.Web;
global using Portal.Forms.Shared;
global using Wolverine;
global using Wolverine.Http;
