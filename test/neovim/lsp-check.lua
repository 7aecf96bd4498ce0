-- Headless Neovim 0.7 check of the bundled Dovecot language server over stdio (run by
-- scripts/run-neovim-test.sh). 0.7 has no vim.lsp.start, so the client is started by hand.
-- env: DOVECOT_LSP_SERVER (path to dist/server.js), DOVECOT_TEST_FILE (fixture copy to open),
-- DOVECOT_LSP_NODE_OPTIONS (the Node options to start it with, separated by spaces)
local WAIT_MS = 15000
local passed, failed = 0, 0

local function out(line) io.stdout:write(line .. '\n') end
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    out('  ok   ' .. name)
  else
    failed = failed + 1
    out('  FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
end

vim.o.swapfile = false -- a stale swap file would stop headless nvim at the E325 prompt
local server, file = os.getenv('DOVECOT_LSP_SERVER'), os.getenv('DOVECOT_TEST_FILE')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.api.nvim_buf_set_option(buf, 'filetype', 'dovecot') -- becomes the LSP languageId

local cmd = { 'node' }
for option in (os.getenv('DOVECOT_LSP_NODE_OPTIONS') or ''):gmatch('%S+') do table.insert(cmd, option) end
vim.list_extend(cmd, { server, '--stdio' })

local client_id = vim.lsp.start_client({
  name = 'dovecot',
  cmd = cmd,
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
  on_exit = function(code) if code ~= 0 then out('server exited with code ' .. code) end end,
})
vim.lsp.buf_attach_client(buf, client_id)

local function lsp_code(d)
  local lsp = d.user_data and d.user_data.lsp or {}
  return d.code or lsp.code
end
local function find_diagnostic(rule)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if lsp_code(d) == rule then return d end
  end
end
local function describe_diagnostics()
  local parts = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(parts, string.format('%d:%d [%s] %s', d.lnum + 1, d.col + 1, tostring(lsp_code(d)), d.message))
  end
  return #parts > 0 and table.concat(parts, '; ') or '(none)'
end

-- 1. diagnostics: `foo = bar` (line 4) is an unknown setting
vim.wait(WAIT_MS, function() return find_diagnostic('unknown-setting') ~= nil end, 20)
local diagnostic = find_diagnostic('unknown-setting')
check('diagnostic unknown-setting on line 4',
  diagnostic ~= nil and diagnostic.lnum == 3 and diagnostic.message:find('Unknown setting: foo', 1, true) ~= nil,
  describe_diagnostics())

-- 2. completion inside `service aggregator {` (line 7, after the indent)
local position = { line = 6, character = 2 }
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/completion',
  { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position }, WAIT_MS) or {}
local labels = {}
for _, response in pairs(responses) do
  local result = response.result or {}
  for _, item in ipairs(result.items or result) do labels[item.label] = true end
end
local wanted = { 'process_min_avail', 'unix_listener', 'fifo_listener' }
local missing = {}
for _, label in ipairs(wanted) do if not labels[label] then table.insert(missing, label) end end
check('completion inside service aggregator', #missing == 0 and not labels['mail_plugins'],
  'missing: ' .. table.concat(missing, ', ') .. (labels['mail_plugins'] and '; offers mail_plugins' or ''))

-- 3. code action: "Ignore <rule> on this line" is offered, applies, and removes the diagnostic
local action
if diagnostic then
  -- 0.7's user_data.lsp keeps only code and data: rebuild the LSP diagnostic from the vim one.
  local lsp = diagnostic.user_data and diagnostic.user_data.lsp or {}
  local lsp_diagnostic = {
    range = { start = { line = diagnostic.lnum, character = diagnostic.col },
              ['end'] = { line = diagnostic.end_lnum, character = diagnostic.end_col } },
    severity = diagnostic.severity, message = diagnostic.message, source = diagnostic.source,
    code = lsp_code(diagnostic), data = lsp.data,
  }
  local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
  }, WAIT_MS) or {}
  local titles = {}
  for _, response in pairs(actions) do
    for _, candidate in ipairs(response.result or {}) do
      table.insert(titles, candidate.title)
      if not action and candidate.title:sub(1, 6) == 'Ignore' and candidate.edit then action = candidate end
    end
  end
  check('code action "Ignore ..." offered', action ~= nil, 'offered: ' .. table.concat(titles, ' | '))
else
  check('code action "Ignore ..." offered', false, 'no diagnostic to ask about')
end
if action then
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  vim.wait(WAIT_MS, function() return find_diagnostic('unknown-setting') == nil end, 20)
  check('applying the code action removes the diagnostic', find_diagnostic('unknown-setting') == nil, describe_diagnostics())
else
  check('applying the code action removes the diagnostic', false, 'no action to apply')
end

-- 4. the installed doveconf's verdict through workspace/executeCommand (the file on disk still says `foo = bar`)
if vim.fn.executable('doveconf') == 1 then
  local results = vim.lsp.buf_request_sync(buf, 'workspace/executeCommand',
    { command = 'dovecot.checkWithDoveconf', arguments = { vim.uri_from_bufnr(buf) } }, WAIT_MS) or {}
  local verdict = (results[client_id] or {}).result or {}
  local first = (verdict.diagnostics or {})[1]
  check('dovecot.checkWithDoveconf maps doveconf\'s Fatal error to line 4',
    first ~= nil and first.diagnostic.range.start.line == 3 and first.diagnostic.message == 'Unknown setting: foo',
    vim.inspect(verdict))
  local function doveconf_diagnostic()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'doveconf' then return d end
    end
  end
  vim.wait(WAIT_MS, function() return doveconf_diagnostic() ~= nil end, 20)
  check('the doveconf verdict is shown as a diagnostic with source doveconf', doveconf_diagnostic() ~= nil, describe_diagnostics())
else
  out('  SKIPPED doveconf check: doveconf is not installed')
end

-- 5. find all references on `protocols` (line 3) and the document highlight of it
local reference_params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = 2, character = 3 },
  context = { includeDeclaration = true },
}
local references = vim.lsp.buf_request_sync(buf, 'textDocument/references', reference_params, WAIT_MS) or {}
local found = (references[client_id] or {}).result or {}
check('references on protocols: its one assignment, line 3',
  #found == 1 and found[1].range.start.line == 2 and found[1].uri == vim.uri_from_bufnr(buf), vim.inspect(found))
local highlights = vim.lsp.buf_request_sync(buf, 'textDocument/documentHighlight',
  { textDocument = reference_params.textDocument, position = reference_params.position }, WAIT_MS) or {}
local marked = (highlights[client_id] or {}).result or {}
check('document highlight of protocols', #marked == 1 and marked[1].range.start.line == 2 and marked[1].kind == 3,
  vim.inspect(marked))

-- 6. Format Selection: only `mail_debug = yes` (inside `protocol imap {`, at the end) is re-indented; the
-- code action above added a line, so the line is looked up
local debug_line = -1
for index, text in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if text == 'mail_debug = yes' then debug_line = index - 1 end
end
local format_params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = debug_line, character = 0 }, ['end'] = { line = debug_line, character = 5 } },
  options = { tabSize = 2, insertSpaces = true },
}
local formatted = vim.lsp.buf_request_sync(buf, 'textDocument/rangeFormatting', format_params, WAIT_MS) or {}
local edits = (formatted[client_id] or {}).result or {}
vim.lsp.util.apply_text_edits(edits, buf, 'utf-16')
local lines = vim.api.nvim_buf_get_lines(buf, debug_line - 1, debug_line + 2, false)
check('range formatting re-indents that line only', table.concat(lines, '|') == 'protocol imap {|  mail_debug = yes|}',
  vim.inspect(lines))

-- 7. selection ranges at `mail_debug`: the key, then its line, then the section body
local selections = vim.lsp.buf_request_sync(buf, 'textDocument/selectionRange',
  { textDocument = { uri = vim.uri_from_bufnr(buf) }, positions = { { line = debug_line, character = 4 } } },
  WAIT_MS) or {}
local chain = ((selections[client_id] or {}).result or {})[1]
check('selection range: key, then line, then section',
  chain ~= nil and chain.range.start.character == 2 and chain.range['end'].character == 12
    and chain.parent.range['end'].character == 18 and chain.parent.parent ~= nil,
  vim.inspect(chain))

out(string.format('%d passed, %d failed', passed, failed))
vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
vim.cmd(failed == 0 and 'qa!' or 'cquit 1')
