// Typed operations from the API's schema: every `gql` document under src/graphql is
// checked against api/schema.graphql and gets its result and variable types.
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/graphql/*.graphql'],
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        scalars: { ID: 'string', Date: 'string', DateTime: 'string', Upload: 'File' },
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
      },
    },
  },
}
export default config
