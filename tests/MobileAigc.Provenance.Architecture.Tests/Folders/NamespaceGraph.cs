using Mono.Cecil;

namespace MobileAigc.Provenance.Architecture.Tests.Folders;

/// <summary>
/// Which namespaces (folders) of one assembly use which others, read from the compiled IL: base
/// types, interfaces, fields, properties, method signatures, locals, attributes and every type,
/// method or field a method body names. Compiler-generated nested types (lambdas, async state
/// machines) count for the type that declares them. Each edge keeps one example, so that a cycle
/// can be reported as the code that makes it.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph(string rootNamespace) => RootNamespace = rootNamespace;

    /// <summary>The assembly's own namespace prefix; only namespaces under it are nodes.</summary>
    public string RootNamespace { get; }

    /// <summary>The namespaces under <see cref="RootNamespace"/> that hold types.</summary>
    public IEnumerable<string> Namespaces => _edges.Keys;

    /// <summary>Reads the assembly at <paramref name="path"/>; nodes are the namespaces under <paramref name="rootNamespace"/>.</summary>
    public static NamespaceGraph Read(string path, string rootNamespace)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(path);
        var graph = new NamespaceGraph(rootNamespace);
        var own = assembly.MainModule.Types.Where(t => graph.IsUnderRoot(t.Namespace)).ToList();
        foreach (var type in own)
        {
            graph._edges.TryAdd(type.Namespace, new Dictionary<string, string>(StringComparer.Ordinal));
        }

        foreach (var type in own)
        {
            graph.AddUses(type.Namespace, type.Name, type);
        }

        return graph;
    }

    /// <summary>The namespaces <paramref name="from"/> uses, each with one example of a use.</summary>
    public IReadOnlyDictionary<string, string> Uses(string from) => _edges[from];

    /// <summary>
    /// Every set of namespaces that use each other in a circle (strongly connected components of
    /// more than one namespace), each ordered along one circle, for the failure message.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges[node].Keys)
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], index[next]);
                }
            }

            if (lowLink[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    components.Add(component);
                }
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    // A namespace of another assembly may share the prefix (Ledger.Host under Ledger): only this assembly's count.
    private bool IsOwn(string ns) => _edges.ContainsKey(ns);

    private bool IsUnderRoot(string ns) =>
        ns == RootNamespace || ns.StartsWith(RootNamespace + ".", StringComparison.Ordinal);

    private void AddUses(string from, string where, TypeDefinition type)
    {
        AddType(from, where, type.BaseType);
        AddAttributes(from, where, type);
        foreach (var implemented in type.Interfaces)
        {
            AddType(from, where, implemented.InterfaceType);
        }

        foreach (var field in type.Fields)
        {
            AddType(from, $"{where}.{field.Name}", field.FieldType);
            AddAttributes(from, $"{where}.{field.Name}", field);
        }

        foreach (var property in type.Properties)
        {
            AddType(from, $"{where}.{property.Name}", property.PropertyType);
            AddAttributes(from, $"{where}.{property.Name}", property);
        }

        foreach (var method in type.Methods)
        {
            AddMethod(from, $"{where}.{method.Name}", method);
        }

        foreach (var nested in type.NestedTypes)
        {
            AddUses(from, $"{where}+{nested.Name}", nested);
        }
    }

    private void AddMethod(string from, string where, MethodDefinition method)
    {
        AddType(from, where, method.ReturnType);
        AddAttributes(from, where, method);
        foreach (var parameter in method.Parameters)
        {
            AddType(from, where, parameter.ParameterType);
        }

        if (!method.HasBody)
        {
            return;
        }

        foreach (var variable in method.Body.Variables)
        {
            AddType(from, where, variable.VariableType);
        }

        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference operand:
                    AddType(from, where, operand);
                    break;
                case MethodReference operand:
                    AddType(from, where, operand.DeclaringType);
                    AddType(from, where, operand.ReturnType);
                    if (operand is GenericInstanceMethod generic)
                    {
                        foreach (var argument in generic.GenericArguments)
                        {
                            AddType(from, where, argument);
                        }
                    }

                    break;
                case FieldReference operand:
                    AddType(from, where, operand.DeclaringType);
                    AddType(from, where, operand.FieldType);
                    break;
                case CallSite operand:
                    AddType(from, where, operand.ReturnType);
                    break;
            }
        }
    }

    private void AddAttributes(string from, string where, ICustomAttributeProvider provider)
    {
        foreach (var attribute in provider.CustomAttributes)
        {
            AddType(from, where, attribute.AttributeType);
        }
    }

    private void AddType(string from, string where, TypeReference? type)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                AddType(from, where, generic.ElementType);
                foreach (var argument in generic.GenericArguments)
                {
                    AddType(from, where, argument);
                }

                return;
            case TypeSpecification specification: // arrays, pointers, by-ref, modifiers
                AddType(from, where, specification.ElementType);
                return;
        }

        var outermost = type;
        while (outermost.DeclaringType is not null)
        {
            outermost = outermost.DeclaringType;
        }

        var to = outermost.Namespace;
        if (to != from && IsOwn(to))
        {
            _edges[from].TryAdd(to, $"{where} uses {outermost.FullName}");
        }
    }
}
