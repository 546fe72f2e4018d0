using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Host;
using Wolverine.Runtime;

namespace Portal.Tests.Architecture;

/// <summary>
/// Every message in Contracts has a publisher in production code and a handler in the running host, so no module
/// publishes into the void and no handler waits for a message nobody sends.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class MessageFlowTests(PortalFixture fixture)
{
    [Fact]
    public void Every_contract_message_has_a_handler() =>
        MessagesWithout(HandledMessageTypes(), "has no handler in any module").ShouldBeEmpty();

    [Fact]
    public void Every_contract_message_has_a_publisher_in_production_code() =>
        MessagesWithout(ContractMessages.TypesCreatedIn(ProductionAssemblies()), "is never created in src (no module publishes it)")
            .ShouldBeEmpty();

    [Fact]
    public void A_contract_type_that_only_travels_inside_messages_has_no_handler_of_its_own()
    {
        var handled = HandledMessageTypes();
        var messages = ContractMessages.Messages().ToHashSet();
        var strays = ContractMessages.All()
            .Where(type => !messages.Contains(type) && handled.Contains(type))
            .Select(type => $"{type.FullName} travels only inside other messages, yet has a handler nobody sends to")
            .ToList();
        strays.ShouldBeEmpty();
    }

    private static List<string> MessagesWithout(HashSet<Type> having, string sentence) =>
        ContractMessages.Messages()
            .Where(type => !having.Contains(type))
            .Select(type => $"{type.FullName} {sentence}")
            .ToList();

    private HashSet<Type> HandledMessageTypes()
    {
        var runtime = (WolverineRuntime)fixture.Host.Services.GetRequiredService<IWolverineRuntime>();
        // With MultipleHandlerBehavior.Separated, a message handled by several modules has one sub-chain per module.
        return runtime.Handlers.Chains
            .SelectMany(c => c.ByEndpoint.Prepend(c))
            .Where(c => c.Handlers.Count > 0)
            .Select(c => c.MessageType)
            .ToHashSet();
    }

    private static IReadOnlyList<Assembly> ProductionAssemblies() =>
    [
        typeof(PortalModules).Assembly,
        typeof(Portal.BuildingBlocks.Modules.IPortalModule).Assembly,
        .. PortalModules.All.Select(m => m.GetType().Assembly).Distinct(),
    ];
}

/// <summary>Which contract types are messages, and which of them production code creates.</summary>
internal static class ContractMessages
{
    /// <summary>Every public class and record in Portal.Contracts (enums and other value types are never messages).</summary>
    public static IEnumerable<Type> All() =>
        typeof(Portal.Contracts.Actor).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsNested && t.Namespace == "Portal.Contracts");

    /// <summary>
    /// A contract type is a message unless it is a member (a property, or a collection's item) of another contract
    /// type: a new type is a message by default and so cannot escape the checks, while Actor, SecretLink and the
    /// items of a batch are parts of messages.
    /// </summary>
    public static IEnumerable<Type> Messages()
    {
        var all = All().ToList();
        var parts = all
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(p => MemberTypes(p.PropertyType))
            .ToHashSet();
        return all.Where(t => !parts.Contains(t) && !IsAnswer(t, all));
    }

    /// <summary>
    /// A query's answer (<c>XAnswer</c> beside <c>XQuery</c>, Contracts/RecordQueries.cs) returns to the InvokeAsync
    /// caller: it is created by the module asked and handled by nobody, so it is no message.
    /// </summary>
    private static bool IsAnswer(Type type, IReadOnlyCollection<Type> all) =>
        type.Name.EndsWith("Answer", StringComparison.Ordinal)
        && all.Any(t => t.Name == type.Name[..^"Answer".Length] + "Query");

    private static IEnumerable<Type> MemberTypes(Type type)
    {
        yield return Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) yield return type.GetElementType()!;
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments()) yield return argument;
    }

    /// <summary>
    /// The contract types whose constructor (or record copy, <c>with</c>) some method of these assemblies calls,
    /// read from the IL, so compiler-generated async state machines, lambdas and local functions count as well.
    /// </summary>
    public static HashSet<Type> TypesCreatedIn(IEnumerable<Assembly> assemblies)
    {
        var contracts = typeof(Portal.Contracts.Actor).Assembly;
        var created = new HashSet<Type>();
        const BindingFlags everything =
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assemblies.SelectMany(LoadableTypes))
        {
            var methods = type.GetMethods(everything).Cast<MethodBase>().Concat(type.GetConstructors(everything));
            foreach (var method in methods)
            {
                byte[]? il;
                try { il = method.GetMethodBody()?.GetILAsByteArray(); }
                catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or BadImageFormatException) { continue; }
                if (il is null) continue;
                foreach (var (opCode, token) in Calls(il))
                {
                    MethodBase? target;
                    try
                    {
                        target = method.Module.ResolveMethod(token,
                            type.IsGenericType ? type.GetGenericArguments() : null,
                            method.IsGenericMethod ? method.GetGenericArguments() : null);
                    }
                    catch (ArgumentException) { continue; }
                    if (target?.DeclaringType is not { } declaring || declaring.Assembly != contracts) continue;
                    if (opCode == OpCodes.Newobj || target.Name == "<Clone>$") created.Add(declaring);
                }
            }
        }
        return created;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException ex) { return ex.Types.OfType<Type>(); }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The newobj, call and callvirt instructions of a method body, with their method tokens.</summary>
    private static IEnumerable<(OpCode OpCode, int Token)> Calls(byte[] il)
    {
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[position++]));
            if (!OpCodesByValue.TryGetValue(value, out var opCode))
                throw new InvalidOperationException($"unknown IL opcode 0x{value:X} at {position}");
            if (opCode == OpCodes.Newobj || opCode == OpCodes.Call || opCode == OpCodes.Callvirt)
                yield return (opCode, BitConverter.ToInt32(il, position));
            position += OperandSize(opCode, il, position);
        }
    }

    private static int OperandSize(OpCode opCode, byte[] il, int position) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
