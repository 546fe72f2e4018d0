using System.Reflection;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Portal.Host;
using Wolverine.Runtime;

namespace Portal.Tests.Architecture;

/// <summary>
/// A module's inside is internal. The only public types a module may have are the ones the frameworks must see:
/// its entry point, the endpoint and handler classes Wolverine discovered, the documents and events Marten stores,
/// view components and page models, and whatever those expose in their public signatures (the compiler forces that).
/// Validators are always internal.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ModuleVisibilityTests(PortalFixture fixture)
{
    [Fact]
    public void Validators_in_modules_are_internal()
    {
        var publicValidators = ModuleAssemblies()
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && !t.IsAbstract && typeof(IValidator).IsAssignableFrom(t) && IsVisibleOutside(t))
            .Select(t => t.FullName)
            .ToList();
        publicValidators.ShouldBeEmpty();
    }

    [Fact]
    public void Modules_make_public_only_what_Wolverine_Marten_and_Razor_must_see()
    {
        var allowed = AllowedPublicTypes();
        var offenders = ModuleAssemblies()
            .SelectMany(a => a.GetTypes())
            .Where(IsVisibleOutside)
            .Where(t => !t.Namespace?.StartsWith("AspNetCoreGeneratedDocument", StringComparison.Ordinal) ?? true)
            .Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
            .Where(t => !allowed.Contains(t))
            .Select(t => t.FullName)
            .Order()
            .ToList();
        offenders.ShouldBeEmpty("these module types are public but no framework needs them public; make them internal sealed");
    }

    private static IEnumerable<Assembly> ModuleAssemblies() => PortalModules.All.Select(m => m.GetType().Assembly).Distinct();

    private static bool IsVisibleOutside(Type type) => type.IsVisible;

    private HashSet<Type> AllowedPublicTypes()
    {
        var services = fixture.Host.Services;
        var roots = new HashSet<Type>();
        var modules = ModuleAssemblies().ToHashSet();

        foreach (var module in PortalModules.All) roots.Add(module.GetType());

        var runtime = services.GetRequiredService<IWolverineRuntime>();
        // With MultipleHandlerBehavior.Separated, a message handled by several modules has one sub-chain per module.
        foreach (var chain in ((WolverineRuntime)runtime).Handlers.Chains.SelectMany(c => c.ByEndpoint.Prepend(c)))
        {
            roots.Add(chain.MessageType);
            foreach (var handler in chain.Handlers) roots.Add(handler.HandlerType);
        }

        // HTTP endpoint classes carry Wolverine's route attributes on public methods.
        foreach (var type in modules.SelectMany(a => a.GetTypes()))
        {
            if (type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(m => m.GetCustomAttributes().Any(a => a.GetType().Namespace == "Wolverine.Http")))
                roots.Add(type);
            if (typeof(ViewComponent).IsAssignableFrom(type) || typeof(PageModel).IsAssignableFrom(type))
                roots.Add(type);
        }

        var store = services.GetRequiredService<IDocumentStore>();
        foreach (var document in store.Options.AllKnownDocumentTypes()) roots.Add(document.DocumentType);
        foreach (var eventType in store.Options.Events.AllKnownEventTypes()) roots.Add(eventType.EventType);

        return Closure(roots.Where(t => modules.Contains(t.Assembly)), modules);
    }

    /// <summary>Every module type reachable from the roots through public signatures, nesting and base types.</summary>
    private static HashSet<Type> Closure(IEnumerable<Type> roots, HashSet<Assembly> modules)
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(roots);
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                foreach (var argument in type.GetGenericArguments()) queue.Enqueue(argument);
                type = type.GetGenericTypeDefinition();
            }
            if (type.IsArray || type.IsByRef || type.IsPointer)
            {
                queue.Enqueue(type.GetElementType()!);
                continue;
            }
            if (!modules.Contains(type.Assembly) || !seen.Add(type)) continue;

            if (type.BaseType is not null) queue.Enqueue(type.BaseType);
            if (type.DeclaringType is not null) queue.Enqueue(type.DeclaringType);
            foreach (var nested in type.GetNestedTypes(BindingFlags.Public)) queue.Enqueue(nested);
            const BindingFlags members = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var property in type.GetProperties(members)) queue.Enqueue(property.PropertyType);
            foreach (var field in type.GetFields(members)) queue.Enqueue(field.FieldType);
            foreach (var method in type.GetMethods(members))
            {
                queue.Enqueue(method.ReturnType);
                foreach (var parameter in method.GetParameters()) queue.Enqueue(parameter.ParameterType);
            }
            foreach (var constructor in type.GetConstructors())
                foreach (var parameter in constructor.GetParameters()) queue.Enqueue(parameter.ParameterType);
        }
        return seen;
    }
}
