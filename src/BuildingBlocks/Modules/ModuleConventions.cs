using System.Reflection;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.BuildingBlocks.Modules;

public static class ModuleConventions
{
    /// <summary>
    /// Registers a module's services by convention:
    /// validators as singletons (they check shape only, never the database), and every class that implements
    /// an interface declared in the module itself as a scoped service; records are data (a request sharing a rule's
    /// interface), never services. Registrations are by type, never by
    /// factory lambda, so Wolverine's generated code can build them without runtime service location.
    /// </summary>
    public static IServiceCollection AddModuleConventions(this IServiceCollection services, Assembly moduleAssembly)
    {
        services.Scan(scan => scan
            .FromAssemblies(moduleAssembly)
            .AddClasses(classes => classes.AssignableTo(typeof(IValidator<>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithSingletonLifetime()
            .AddClasses(classes => classes.Where(type =>
                    !type.IsAssignableTo(typeof(IValidator)) &&
                    !type.IsAssignableTo(typeof(IPortalModule)) &&
                    type.GetMethod("<Clone>$") is null &&
                    type.GetCustomAttribute<RegisteredByModuleAttribute>() is null &&
                    type.GetInterfaces().Any(i => i.Assembly == moduleAssembly)),
                publicOnly: false)
            .AsImplementedInterfaces(i => i.Assembly == moduleAssembly)
            .WithScopedLifetime());
        return services;
    }
}

/// <summary>
/// A service the module registers itself in <see cref="IPortalModule.AddServices"/> (one of several implementations,
/// chosen by configuration), so the convention leaves it out.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RegisteredByModuleAttribute : Attribute;
