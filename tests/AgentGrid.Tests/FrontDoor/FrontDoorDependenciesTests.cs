using System.Reflection;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>What a front door of its own carries: the embedding model and its runtime stay with the silos.</summary>
public sealed class FrontDoorDependenciesTests
{
    [Fact]
    public void The_front_door_does_not_depend_on_the_local_embedding_model_or_onnx_runtime()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(AgentGrid.FrontDoor.OpenAi.CompletionPlane).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                // Only the grid's own assemblies are followed: the packages it names are what ships beside them.
                if (seen.Add(reference.Name!) && reference.Name!.StartsWith("AgentGrid.", StringComparison.Ordinal))
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
            }
        }

        Assert.Contains("AgentGrid.Inference", seen);
        Assert.DoesNotContain("AgentGrid.Embeddings", seen);
        Assert.DoesNotContain(seen, name => name.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal) || name.StartsWith("SentenceTransformers", StringComparison.Ordinal));
    }
}
