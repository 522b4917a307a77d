using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.Knowledge.Documents;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentGrid.FrontDoor.Knowledge;

/// <summary>
/// <c>POST /api/knowledge-bases/{id}/documents</c>: a multipart upload of one or more files. What is cheap to check
/// (count, name, type, size, signature, a zip's directory, valid text) refuses a bad batch with its code before
/// anything of it is stored; the text itself is extracted once, on a silo, behind the tenant's ingestion queue, and a
/// file that fails there ends <c>failed</c> with its code. Nothing is parsed here.
/// </summary>
public static class DocumentUploads
{
    /// <summary>
    /// The largest upload request, all files together: the files reach the knowledge base in one grain call, which must
    /// stay well under Orleans' message limit (100 MB).
    /// </summary>
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    public static async Task<Results<Accepted<DocumentList>, ProblemHttpResult>> UploadAsync(
        string id, HttpRequest request, GridServices grid, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return Problems.Create(ErrorCodes.KnowledgeBaseNotFound, $"Knowledge base '{id}' was not found.");
        }

        // The knowledge base answers 404 before anything else (and for another tenant's id).
        var knowledgeBase = grid.Grain<IKnowledgeBaseGrain>(id);
        await knowledgeBase.GetAsync();
        if (!request.HasFormContentType)
        {
            return Problems.Create(ErrorCodes.UnsupportedMediaType, "Send the files as multipart/form-data.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(grid.Aborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !grid.Aborted.IsCancellationRequested)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, $"The multipart body cannot be read: {e.Message}", "files");
        }

        if (form.Files.Count == 0)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "Send at least one file (any form field name).", "files");
        }

        if (form.Files.Count > MaxFilesPerUpload(configuration))
        {
            return Problems.Create(ErrorCodes.TooManyDocuments,
                $"At most {MaxFilesPerUpload(configuration)} files per upload; this one has {form.Files.Count}.", "files");
        }

        var uploads = new List<DocumentUpload>(form.Files.Count);
        foreach (var file in form.Files)
        {
            uploads.Add(await CheckAsync(file, grid, MaxFileBytes(configuration)));
        }

        var documents = await knowledgeBase.AddDocumentsAsync(uploads);
        return TypedResults.Accepted($"/api/knowledge-bases/{id}/documents", new DocumentList(documents));
    }

    /// <summary>The silos' <c>AgentGrid:Knowledge:MaxFileBytes</c> (20 MiB unless set), which the front door enforces first.</summary>
    private static long MaxFileBytes(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        long.TryParse(configuration["AgentGrid:Knowledge:MaxFileBytes"], out var bytes) && bytes > 0 ? bytes : ExtractionLimits.Default.MaxFileBytes;

    /// <summary>The silos' <c>AgentGrid:Knowledge:MaxFilesPerUpload</c> (20 unless set).</summary>
    private static int MaxFilesPerUpload(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        int.TryParse(configuration["AgentGrid:Knowledge:MaxFilesPerUpload"], out var files) && files > 0 ? files : 20;

    private static async Task<DocumentUpload> CheckAsync(IFormFile file, GridServices grid, long maxFileBytes)
    {
        var name = DocumentNames.Validate(file.FileName);
        var limits = ExtractionLimits.Default with { MaxFileBytes = maxFileBytes };
        if (file.Length > limits.MaxFileBytes)
        {
            throw new AgentGridException(ErrorCodes.DocumentTooLarge, $"'{name}' is {file.Length} bytes; the most is {limits.MaxFileBytes}.", "files");
        }

        var type = DocumentTypes.Resolve(name, file.ContentType);
        using var content = new MemoryStream((int)file.Length);
        await file.CopyToAsync(content, grid.Aborted);
        var bytes = content.ToArray();
        DocumentPrecheck.Check(bytes, type, limits);
        return new DocumentUpload { Name = name, ContentType = file.ContentType, Content = bytes, KeyId = grid.KeyId };
    }
}
