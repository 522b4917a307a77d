using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Knowledge;

namespace AgentGrid.Grains.Knowledge;

/// <summary>What a knowledge base's definition must be; unset values keep the current ones or take the defaults.</summary>
public static class KnowledgeDefinitions
{
    public const int DefaultChunkSize = 1000;
    public const int DefaultChunkOverlap = 150;

    public static (int ChunkSize, int ChunkOverlap, string EmbeddingModel) Validate(
        KnowledgeBaseDefinition definition, KnowledgeBaseState? current, IReadOnlyList<EmbeddingModel> models)
    {
        if (string.IsNullOrWhiteSpace(definition.Name) || definition.Name.Trim().Length > 100 || definition.Name.Any(char.IsControl))
        {
            throw AgentGridException.Validation("name", "name must be 1 to 100 characters, without control characters.");
        }

        if (definition.Description is { Length: > 2000 })
        {
            throw AgentGridException.Validation("description", "description must be at most 2000 characters.");
        }

        var size = definition.ChunkSize ?? current?.ChunkSize ?? DefaultChunkSize;
        var overlap = definition.ChunkOverlap ?? current?.ChunkOverlap ?? DefaultChunkOverlap;
        if (size is < 200 or > 8000)
        {
            throw AgentGridException.Validation("chunkSize", "chunkSize must be between 200 and 8000 characters.");
        }

        if (overlap < 0 || overlap >= size / 2)
        {
            throw AgentGridException.Validation("chunkOverlap", "chunkOverlap must be at least 0 and less than half of chunkSize.");
        }

        var model = definition.EmbeddingModel ?? current?.EmbeddingModel ?? EmbeddingModels.Local;
        if (models.All(m => m.Name != model))
        {
            throw new AgentGridException(ErrorCodes.ModelNotFound,
                $"'{model}' is not an embedding model of this grid ({string.Join(", ", models.Select(m => m.Name))}).", "embeddingModel");
        }

        return (size, overlap, model);
    }
}
