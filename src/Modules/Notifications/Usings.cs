// The namespaces nearly every slice of this module uses; a file names only what is particular to it.
global using Marten;
global using Microsoft.Extensions.Configuration;
global using Portal.Contracts;
global using Wolverine;
